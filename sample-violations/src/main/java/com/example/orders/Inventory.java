package com.example.orders;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/** Stock levels. Reservations take the stock lock, then record the hold with billing. */
public class Inventory {
  private final ReentrantLock stockLock = new ReentrantLock();
  private final Map<String, Integer> stock = new HashMap<>();
  private Billing billing;

  void connect(Billing billing) {
    this.billing = billing;
  }

  public boolean reserve(String sku, int quantity, String customer) {
    stockLock.lock();
    try {
      int available = stock.getOrDefault(sku, 0);
      if (available < quantity) {
        return false;
      }
      stock.put(sku, available - quantity);
      billing.hold(customer, quantity);
      return true;
    } finally {
      stockLock.unlock();
    }
  }

  public void restock(String sku, int quantity) {
    stockLock.lock();
    try {
      stock.merge(sku, quantity, Integer::sum);
    } finally {
      stockLock.unlock();
    }
  }

  int available(String sku) {
    stockLock.lock();
    try {
      return stock.getOrDefault(sku, 0);
    } finally {
      stockLock.unlock();
    }
  }
}
