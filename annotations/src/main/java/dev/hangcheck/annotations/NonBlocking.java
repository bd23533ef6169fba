package dev.hangcheck.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated code runs on a thread that must never block: an event loop, an async callback, a
 * UI thread. Hangcheck reports every blocking call it makes, directly or through calls.
 *
 * <p>On a type, every method and constructor declared in it is non-blocking. A method that
 * overrides or implements a non-blocking method is non-blocking too. An annotation on a method wins
 * over the one on its class.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.TYPE})
public @interface NonBlocking {}
