package com.example.events;

import java.util.ArrayList;
import java.util.List;

/** Delivers the shop's events to the services that subscribed, in the order they subscribed. */
public class EventBus {

  /** A service told of every event. */
  public interface Subscriber {
    void onEvent(String event);
  }

  private final Object lock = new Object();
  private final List<Subscriber> subscribers = new ArrayList<>();

  public void subscribe(Subscriber subscriber) {
    synchronized (lock) {
      subscribers.add(subscriber);
    }
  }

  /** Tells every subscriber, holding the bus's lock so that no one subscribes meanwhile. */
  public void publish(String event) {
    synchronized (lock) {
      for (Subscriber subscriber : subscribers) {
        subscriber.onEvent(event);
      }
    }
  }
}
