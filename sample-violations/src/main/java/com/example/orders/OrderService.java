package com.example.orders;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Places orders. Code that is fine for Hangcheck, next to the code that is not. */
public class OrderService {
  private final Object orders = new Object();
  private final Inventory inventory = new Inventory();
  private final Billing billing = new Billing(inventory);
  private final ExecutorService notifier = Executors.newSingleThreadExecutor();
  private int placed;

  public OrderService() {
    inventory.connect(billing);
  }

  public boolean place(String customer, String sku, int quantity) {
    synchronized (orders) {
      placed++;
      // Handing work to another thread under a lock is fine: it does not run under the lock.
      notifier.execute(() -> billing.refund(customer, sku, 0));
    }
    return inventory.reserve(sku, quantity, customer);
  }

  public int placeAll(String customer, List<String> skus) {
    synchronized (orders) {
      // Always orders before stock: one consistent order is fine.
      skus.forEach(sku -> inventory.available(sku));
      return placed;
    }
  }
}
