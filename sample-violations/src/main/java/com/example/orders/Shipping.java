package com.example.orders;

import dev.hangcheck.annotations.AcquiredBefore;
import java.util.ArrayList;
import java.util.List;

/** Ships orders. The team wrote down that the carrier's lock comes before the manifest's. */
class Shipping {
  @AcquiredBefore("manifestLock")
  private final Object carrierLock = new Object();

  private final Object manifestLock = new Object();
  private final List<String> manifest = new ArrayList<>();
  private String carrier = "ground";

  void ship(String orderId) {
    synchronized (carrierLock) {
      synchronized (manifestLock) {
        manifest.add(carrier + ":" + orderId);
      }
    }
  }

  void closeManifest() {
    synchronized (manifestLock) {
      manifest.clear();
      switchCarrier("night"); // takes carrierLock: against the declared order
    }
  }

  private void switchCarrier(String name) {
    synchronized (carrierLock) {
      carrier = name;
    }
  }
}
