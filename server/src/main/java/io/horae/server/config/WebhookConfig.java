package io.horae.server.config;

import io.horae.server.egress.TargetAllowlist;
import java.util.Objects;

/**
 * Where webhooks may go (docs/security.md, "Webhook targets").
 *
 * @param targetAllow addresses, networks and host names the target guard lets through besides
 *     public addresses; empty by default, so loopback, private, link-local and the other non-public
 *     ranges are refused
 */
public record WebhookConfig(TargetAllowlist targetAllow) {
  public static final TargetAllowlist TARGET_ALLOW_DEFAULT = TargetAllowlist.NONE;

  public static final WebhookConfig DEFAULTS = new WebhookConfig(TARGET_ALLOW_DEFAULT);

  public WebhookConfig {
    Objects.requireNonNull(targetAllow, "targetAllow");
  }
}
