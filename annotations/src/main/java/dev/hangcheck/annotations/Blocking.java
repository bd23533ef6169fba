package dev.hangcheck.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Calling the annotated method or constructor may block the calling thread (I/O, waiting on
 * another thread, sleeping). On a type, every method and constructor declared in it blocks.
 *
 * <p>Hangcheck treats calls to it like calls to the JDK's blocking methods, also when the
 * annotated code comes from another jar.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.TYPE})
public @interface Blocking {}
