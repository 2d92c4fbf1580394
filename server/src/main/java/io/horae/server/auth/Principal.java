package io.horae.server.auth;

import java.util.List;

/**
 * Who made a call, as a token file or a client certificate names it, with what it may do. The name
 * appears in errors and audit logs; a token never does.
 */
public record Principal(String name, List<Grant> grants) {
  public Principal {
    grants = List.copyOf(grants);
  }

  /**
   * Whether some grant gives {@code role} on {@code namespace} (any namespace for cluster roles).
   */
  public boolean allows(Role role, String namespace) {
    for (Grant g : grants) {
      if (g.allows(role, namespace)) {
        return true;
      }
    }
    return false;
  }
}
