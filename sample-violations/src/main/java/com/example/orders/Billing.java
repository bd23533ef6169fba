package com.example.orders;

import java.util.HashMap;
import java.util.Map;

/** Customer balances. Refunds put the goods back while the ledger is locked. */
public class Billing {
  private final Object ledger = new Object();
  private final Map<String, Long> held = new HashMap<>();
  private final Inventory inventory;

  public Billing(Inventory inventory) {
    this.inventory = inventory;
  }

  void hold(String customer, long amount) {
    synchronized (ledger) {
      held.merge(customer, amount, Long::sum);
    }
  }

  public void refund(String customer, String sku, int quantity) {
    synchronized (ledger) {
      held.remove(customer);
      inventory.restock(sku, quantity);
    }
  }

  long heldFor(String customer) {
    synchronized (ledger) {
      return held.getOrDefault(customer, 0L);
    }
  }
}
