package dev.hangcheck.lockgraph;

import com.google.common.collect.ImmutableList;
import dev.hangcheck.engine.Finding.Place;
import dev.hangcheck.engine.TransitiveFacts;

/** The places of a lock-order edge, for reports that show them apart from the text (SARIF). */
final class EdgePlaces {

  private EdgePlaces() {}

  /** Where the held lock was taken, each call on the way, where the other lock is acquired. */
  static ImmutableList<Place> flow(LockOrderAnalysis.Edge edge) {
    ImmutableList.Builder<Place> flow = ImmutableList.builder();
    flow.add(new Place(edge.holding().site(), "takes " + edge.holding().display()));
    TransitiveFacts.Chain chain = edge.chain();
    if (chain == null) {
      flow.add(new Place(edge.site(), "acquires " + edge.acquired()));
      return flow.build();
    }
    flow.addAll(Place.callsOf(chain));
    flow.add(new Place(chain.origin(), "acquires " + edge.acquired()));
    return flow.build();
  }

  /** The other edges a cycle message names, at their sites. */
  static ImmutableList<Place> related(Iterable<LockOrderAnalysis.Edge> others) {
    ImmutableList.Builder<Place> related = ImmutableList.builder();
    for (LockOrderAnalysis.Edge other : others) {
      related.add(
          new Place(
              other.site(),
              other.site().body().display()
                  + " acquires "
                  + other.acquired()
                  + " while holding "
                  + other.holding().display()));
    }
    return related.build();
  }
}
