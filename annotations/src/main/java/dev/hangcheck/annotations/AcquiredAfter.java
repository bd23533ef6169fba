package dev.hangcheck.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated lock is acquired after the named ones: code that holds it must not acquire them.
 * The mirror of {@link AcquiredBefore}, with the same names and the same meaning on fields and
 * classes; write whichever reads better where the lock is declared.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.FIELD, ElementType.TYPE})
public @interface AcquiredAfter {
  /** The locks acquired before this one. */
  String[] value();
}
