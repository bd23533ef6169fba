package dev.hangcheck.catalog;

/**
 * What the catalog knows of one blocking call.
 *
 * @param category why it blocks
 * @param entry the catalog entry or declaration that matched, e.g. {@code java.lang.Thread#sleep}
 */
public record BlockingMethod(BlockingCategory category, String entry) {}
