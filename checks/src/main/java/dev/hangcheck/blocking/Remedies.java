package dev.hangcheck.blocking;

import dev.hangcheck.catalog.BlockingCategory;
import dev.hangcheck.catalog.BlockingMethod;
import com.google.common.collect.ImmutableMap;
import java.util.Map;

/** The fix a message proposes for a blocking call: specific where the API has an async twin. */
final class Remedies {

  /** By catalog entry (type#method, without parameters). */
  private static final ImmutableMap<String, String> BY_ENTRY =
      ImmutableMap.<String, String>builder()
          .put("java.net.http.HttpClient#send", "use HttpClient.sendAsync and continue in a callback")
          .put(
              "java.util.concurrent.Future#get",
              "compose instead of waiting: thenApply/thenCompose/thenAccept on a CompletableFuture")
          .put(
              "java.util.concurrent.CompletableFuture#join",
              "compose instead of waiting: thenApply/thenCompose/thenAccept")
          .put(
              "java.lang.Thread#sleep",
              "schedule the rest with a ScheduledExecutorService or"
                  + " CompletableFuture.delayedExecutor instead of sleeping")
          .put(
              "java.util.concurrent.TimeUnit#sleep",
              "schedule the rest with a ScheduledExecutorService or"
                  + " CompletableFuture.delayedExecutor instead of sleeping")
          .put("okhttp3.Call#execute", "use Call.enqueue with a callback")
          .put("reactor.core.publisher.Mono#block", "stay reactive: map/flatMap instead of block()")
          .build();

  private static final ImmutableMap<BlockingCategory, String> BY_CATEGORY =
      ImmutableMap.<BlockingCategory, String>builder()
          .put(
              BlockingCategory.SLEEP,
              "schedule the rest with a ScheduledExecutorService or"
                  + " CompletableFuture.delayedExecutor instead of sleeping")
          .put(
              BlockingCategory.WAIT,
              "do not wait here: register a callback, or compose futures (thenApply/thenCompose)")
          .put(BlockingCategory.FILE, "offload the file work to a dedicated executor")
          .put(
              BlockingCategory.NETWORK,
              "use an asynchronous client, or offload the call to a dedicated executor")
          .put(BlockingCategory.DATABASE, "offload the database work to a dedicated executor")
          .put(BlockingCategory.PROCESS, "offload the process work to a dedicated executor")
          .put(BlockingCategory.DECLARED, "offload the call to a dedicated executor")
          .buildOrThrow();

  private Remedies() {}

  /** For non-blocking code: how to avoid blocking the thread. */
  static String forNonBlockingCode(BlockingMethod method) {
    String entry = method.entry();
    int parameters = entry.indexOf('(');
    String key = parameters < 0 ? entry : entry.substring(0, parameters);
    for (Map.Entry<String, String> remedy : BY_ENTRY.entrySet()) {
      if (key.equals(remedy.getKey())) {
        return remedy.getValue();
      }
    }
    return BY_CATEGORY.get(method.category());
  }
}
