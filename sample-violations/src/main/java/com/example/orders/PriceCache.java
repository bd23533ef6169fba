package com.example.orders;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/** Prices from the pricing service, cached. */
public class PriceCache {
  private final HttpClient client = HttpClient.newHttpClient();
  private final Map<String, String> prices = new HashMap<>();
  private boolean refreshing;

  /** Every reader waits while one thread talks to the pricing service under the cache lock. */
  public synchronized String price(String sku) throws IOException, InterruptedException {
    String cached = prices.get(sku);
    if (cached == null) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("https://prices/" + sku)).build();
      cached = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
      prices.put(sku, cached);
    }
    return cached;
  }

  /** Waiting on the monitor it holds is the correct pattern: wait() releases it. */
  public synchronized void awaitRefresh() throws InterruptedException {
    while (refreshing) {
      wait();
    }
  }

  public synchronized void finishRefresh() {
    refreshing = false;
    notifyAll();
  }
}
