package com.example.orders;

/** Store credit. Transfers lock both wallets in the order of the arguments. */
public class Wallet {
  private final String owner;
  private long credit;

  public Wallet(String owner, long credit) {
    this.owner = owner;
    this.credit = credit;
  }

  public static void transfer(Wallet from, Wallet to, long amount) {
    synchronized (from) {
      synchronized (to) {
        from.credit -= amount;
        to.credit += amount;
      }
    }
  }

  /** The fix for transfer: always lock the wallet whose owner sorts first. */
  public static void transferSafely(Wallet from, Wallet to, long amount) {
    Wallet first = from.owner.compareTo(to.owner) < 0 ? from : to;
    Wallet second = first == from ? to : from;
    synchronized (first) {
      synchronized (second) {
        from.credit -= amount;
        to.credit += amount;
      }
    }
  }

  public synchronized long credit() {
    return credit;
  }
}
