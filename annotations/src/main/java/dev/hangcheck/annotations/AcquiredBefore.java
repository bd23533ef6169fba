package dev.hangcheck.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated lock is acquired before the named ones: code that holds one of them must not
 * acquire it. Hangcheck's {@code LockOrderViolation} reports every place that does, directly or
 * through calls.
 *
 * <p>On a field, the lock is the object the field holds ({@code synchronized (lock)}, {@code
 * lock.lock()}). On a class, it is the monitor of its instances: its {@code synchronized} methods
 * and {@code synchronized (this)}.
 *
 * <p>A name is a field of the annotated class ({@code "items"}); {@code "Type.field"} or {@code
 * "pkg.Type.field"}; {@code "Type"} or {@code "pkg.Type"} for the monitor of that class's
 * instances; {@code "Type.class"} for the class literal. Simple type names resolve as in the
 * annotated file. The order is transitive: {@code a} before {@code b} and {@code b} before {@code
 * c} puts {@code a} before {@code c}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.FIELD, ElementType.TYPE})
public @interface AcquiredBefore {
  /** The locks acquired after this one. */
  String[] value();
}
