package io.raftkv.api;

import jakarta.inject.Qualifier;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The executor that finishes async HTTP responses. KvService futures may complete on the Raft loop
 * thread; writing a response to a slow client there would stall replication, so resources hop here.
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
public @interface ResponseExecutor {}
