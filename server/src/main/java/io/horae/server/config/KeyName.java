package io.horae.server.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The config key a section record's component takes when it is not {@code <section>.<component>}
 * (see {@link ConfigBinder}): a key whose name operators already use, read into another section.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
@interface KeyName {
  String value();
}
