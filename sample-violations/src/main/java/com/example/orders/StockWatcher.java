package com.example.orders;

import com.example.events.EventBus;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps a count of stock events. The bus, in the other module, calls onEvent holding its own lock;
 * watch subscribes holding this watcher's lock: the two orders deadlock across the module boundary.
 */
public class StockWatcher implements EventBus.Subscriber {

  private final Object lock = new Object();
  private final Map<String, Integer> counts = new HashMap<>();

  @Override
  public void onEvent(String event) {
    synchronized (lock) {
      counts.merge(event, 1, Integer::sum);
    }
  }

  public void watch(EventBus bus) {
    synchronized (lock) {
      counts.clear();
      bus.subscribe(this);
    }
  }
}
