package com.example.orders;

import dev.hangcheck.annotations.NonBlocking;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Handles order requests on the event loop: every millisecond spent here stalls all clients. */
public class OrderHandler {
  private final ExecutorService workers = Executors.newFixedThreadPool(4);
  private final OrderService orders = new OrderService();

  @EventLoopThread
  public void onRequest(String customer, String sku) throws IOException {
    int limit = ConfigLoader.load("/etc/orders/limit");
    orders.place(customer, sku, limit);
  }

  @EventLoopThread
  public void onReload() {
    // The fix: read the file on a worker, continue when it is done.
    CompletableFuture.supplyAsync(
            () -> {
              try {
                return ConfigLoader.load("/etc/orders/limit");
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            workers)
        .thenAccept(limit -> orders.place("reload", "none", limit));
  }

  @NonBlocking
  public int onStatus(CompletableFuture<Integer> pending) throws Exception {
    return pending.get(2, TimeUnit.SECONDS);
  }
}
