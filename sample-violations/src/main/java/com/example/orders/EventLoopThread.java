package com.example.orders;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The project's own marker for code that runs on the network event loop. The build tells
 * Hangcheck about it with {@code -XepOpt:Hangcheck:NonBlockingAnnotations=com.example.orders.EventLoopThread}.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface EventLoopThread {}
