/**
 * Annotations that tell Hangcheck which code must never block, which code blocks, and in which
 * order locks are acquired.
 *
 * <p>All have {@code CLASS} retention: they reach the class file, so callers compiled later, in
 * another module or jar, still see them, and they cost nothing at run time.
 */
package dev.hangcheck.annotations;
