package dev.hangcheck.engine;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.HashMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Facts that hold for a method because its own body, or a method it calls at any depth, makes
 * them hold: "acquires lock L", "blocks on file I/O". Each fact keeps a witness, the first step
 * of a shortest chain, so a message can show the chain; facts reached only through more calls
 * than a bound are not kept ({@link #withMaxDepth}).
 *
 * <p>Computed on demand and memoized per method. Call cycles are strongly connected components
 * found with Tarjan's algorithm (iterative: deep call chains must not overflow javac's stack);
 * each component is solved once, after the components it calls. Cost: linear in calls times the
 * number of facts per method.
 *
 * @param <F> the fact
 */
public final class TransitiveFacts<F extends Comparable<F>> {

  /** How a method comes to have a fact. */
  public sealed interface Witness permits Direct, ViaCall {
    /** How many calls the shortest chain to the fact has. */
    int depth();
  }

  /** The method's own body makes the fact hold, at {@code site}. */
  public record Direct(Site site) implements Witness {
    @Override
    public int depth() {
      return 0;
    }
  }

  /**
   * The fact holds because of {@code call}, which may run {@code callee}, where {@code calleeFact}
   * holds (the same fact, unless the call site changes how the caller sees it), {@code depth}
   * calls down.
   */
  public record ViaCall(CallSite call, Body callee, Object calleeFact, int depth)
      implements Witness {}

  /**
   * How a callee's fact looks to the caller through one call to one of its targets, or null when
   * it does not reach the caller at all.
   */
  @FunctionalInterface
  public interface Transfer<F> {
    @Nullable F through(CallSite call, Body callee, F fact);
  }

  /** One call of a chain, from a method to the next one. */
  public record Step(CallSite call, Body callee) {}

  private final SourceIndex index;
  private final Function<Body, SortedMap<F, Site>> direct;
  private final Predicate<Body> descendInto;
  private final Transfer<F> transfer;
  private final int maxDepth;
  private final Map<Body, ImmutableSortedMap<F, Witness>> solved = new IdentityHashMap<>();
  private final Map<Body, List<Step>> callees = new IdentityHashMap<>();
  private final Set<Body> inCallCycles = Collections.newSetFromMap(new IdentityHashMap<>());

  /**
   * @param direct the facts a body makes hold by itself (deferred lambdas are other bodies)
   * @param descendInto whether a callee's facts flow to its callers
   */
  public TransitiveFacts(
      SourceIndex index, Function<Body, SortedMap<F, Site>> direct, Predicate<Body> descendInto) {
    this(index, direct, descendInto, (call, callee, fact) -> fact);
  }

  /**
   * @param transfer how a callee's fact looks to the caller through one call (e.g. a wait that
   *     releases "a lock of the caller" releases one of the locks held at that call instead), or
   *     null when it does not reach the caller at all
   */
  public TransitiveFacts(
      SourceIndex index,
      Function<Body, SortedMap<F, Site>> direct,
      Predicate<Body> descendInto,
      Transfer<F> transfer) {
    this(index, direct, descendInto, transfer, Integer.MAX_VALUE);
  }

  private TransitiveFacts(
      SourceIndex index,
      Function<Body, SortedMap<F, Site>> direct,
      Predicate<Body> descendInto,
      Transfer<F> transfer,
      int maxDepth) {
    this.index = index;
    this.direct = direct;
    this.descendInto = descendInto;
    this.transfer = transfer;
    this.maxDepth = maxDepth;
  }

  /**
   * The same facts, but only those whose shortest chain has at most {@code maxDepth} calls: a
   * method's summary then stays small however deep the code below it goes. Call before the first
   * {@link #of}.
   */
  public TransitiveFacts<F> withMaxDepth(int maxDepth) {
    if (!solved.isEmpty()) {
      throw new IllegalStateException("facts already computed");
    }
    return new TransitiveFacts<>(index, direct, descendInto, transfer, maxDepth);
  }

  /** The facts of a method body, with their witnesses, ordered by fact. */
  public ImmutableSortedMap<F, Witness> of(Body method) {
    ImmutableSortedMap<F, Witness> known = solved.get(method);
    if (known == null) {
      solveFrom(method);
      known = solved.get(method);
    }
    return known;
  }

  /**
   * The calls from {@code method} down to the body that makes {@code fact} hold, and its site. A
   * long chain keeps only its first and last calls, and its length: messages show no more, and a
   * chain N calls deep asked for at each of its N methods must not cost N² steps.
   */
  @SuppressWarnings("unchecked") // calleeFact is an F: only this class creates witnesses
  public Chain chain(Body method, F fact) {
    List<Step> head = new ArrayList<>();
    Body body = method;
    F current = fact;
    Witness witness = of(body).get(current);
    while (witness instanceof ViaCall && head.size() < ChainText.HEAD_SHOWN) {
      ViaCall via = (ViaCall) witness;
      head.add(new Step(via.call(), via.callee()));
      body = via.callee();
      current = (F) via.calleeFact();
      witness = of(body).get(current);
    }
    Tail rest = tail(body, current);
    List<Step> steps = new ArrayList<>(head);
    int length = head.size() + rest.length();
    if (rest.length() > 0) {
      if (rest.secondLast() != null && rest.length() >= 2) {
        steps.add(rest.secondLast());
      }
      steps.add(rest.last());
    }
    return new Chain(ImmutableList.copyOf(steps), rest.origin(), length);
  }

  /** How many calls the chain of {@link #chain} has, without making it. */
  public int length(Body method, F fact) {
    return tail(method, fact).length();
  }

  /**
   * Whether {@code method}, already solved, calls itself directly or through others: only then
   * can a chain from one of its callees come back to it.
   */
  boolean isInCallCycle(Body method) {
    return inCallCycles.contains(method);
  }

  /** A callee's fact as the caller of one step sees it, or null. */
  @Nullable F through(Step step, F calleeFact) {
    return transfer.through(step.call(), step.callee(), calleeFact);
  }

  /**
   * A chain of calls ending at the site that makes the fact hold.
   *
   * @param steps all its calls, or for a chain longer than {@code steps} its first calls and its
   *     last two
   * @param length how many calls it has
   */
  public record Chain(ImmutableList<Step> steps, Site origin, int length) {
    public Chain(ImmutableList<Step> steps, Site origin) {
      this(steps, origin, steps.size());
    }

    /** This chain behind one more call. */
    public Chain after(Step first) {
      return new Chain(
          ImmutableList.<Step>builder().add(first).addAll(steps).build(), origin, length + 1);
    }

    /** How messages show the callees: in full when short, else by their ends. */
    public String calleesText() {
      return ChainText.of(steps.stream().map(step -> step.callee().display()).toList(), length);
    }

    /** The same, after {@code first}: the body a call reached, whose chain this is. */
    public String calleesTextAfter(Body first) {
      List<String> calls = new ArrayList<>(steps.size() + 1);
      calls.add(first.display());
      steps.forEach(step -> calls.add(step.callee().display()));
      return ChainText.of(calls, length + 1);
    }
  }

  /** The end of the chain from a (body, fact): its length, last two calls and origin. */
  private record Tail(int length, @Nullable Step last, @Nullable Step secondLast, Site origin) {}

  private final Map<Body, Map<F, Tail>> tails = new IdentityHashMap<>();

  @SuppressWarnings("unchecked")
  private Tail tail(Body start, F startFact) {
    List<Map.Entry<Body, F>> path = new ArrayList<>();
    List<Step> stepsOnPath = new ArrayList<>();
    Body body = start;
    F fact = startFact;
    Tail base;
    while (true) {
      Tail known = tails.getOrDefault(body, Map.of()).get(fact);
      if (known != null) {
        base = known;
        break;
      }
      Witness witness = of(body).get(fact);
      if (witness instanceof Direct) {
        base = new Tail(0, null, null, ((Direct) witness).site());
        tails.computeIfAbsent(body, k -> new HashMap<>()).put(fact, base);
        break;
      }
      ViaCall via = (ViaCall) witness;
      path.add(Map.entry(body, fact));
      stepsOnPath.add(new Step(via.call(), via.callee()));
      body = via.callee();
      fact = (F) via.calleeFact();
    }
    for (int i = path.size() - 1; i >= 0; i--) {
      Step step = stepsOnPath.get(i);
      base =
          new Tail(
              base.length() + 1,
              base.length() == 0 ? step : base.last(),
              base.length() == 0 ? null : base.length() == 1 ? step : base.secondLast(),
              base.origin());
      tails.computeIfAbsent(path.get(i).getKey(), k -> new HashMap<>()).put(path.get(i).getValue(), base);
    }
    return base;
  }

  /** The calls out of {@code body} whose facts flow into it; computed once per body. */
  List<Step> callees(Body body) {
    List<Step> known = callees.get(body);
    if (known != null) {
      return known;
    }
    List<Step> out = List.of();
    for (CallSite call : body.calls()) {
      for (Body target : index.targets(call, descendInto)) {
        if (out.isEmpty()) {
          out = new ArrayList<>();
        }
        out.add(new Step(call, target));
      }
    }
    callees.put(body, out);
    return out;
  }

  private static final class Frame {
    final Body body;
    final List<Step> edges;
    final int index;
    int lowLink;
    int next;

    Frame(Body body, List<Step> edges, int index) {
      this.body = body;
      this.edges = edges;
      this.index = index;
      this.lowLink = index;
    }
  }

  private void solveFrom(Body root) {
    Map<Body, Integer> indexOf = new IdentityHashMap<>();
    Map<Body, Boolean> onStack = new IdentityHashMap<>();
    Deque<Body> componentStack = new ArrayDeque<>();
    Deque<Frame> frames = new ArrayDeque<>();
    int counter = 0;
    frames.push(new Frame(root, callees(root), counter));
    indexOf.put(root, counter++);
    componentStack.push(root);
    onStack.put(root, true);
    while (!frames.isEmpty()) {
      Frame frame = frames.peek();
      if (frame.next < frame.edges.size()) {
        Body callee = frame.edges.get(frame.next++).callee();
        if (solved.containsKey(callee)) {
          continue;
        }
        Integer calleeIndex = indexOf.get(callee);
        if (calleeIndex == null) {
          frames.push(new Frame(callee, callees(callee), counter));
          indexOf.put(callee, counter++);
          componentStack.push(callee);
          onStack.put(callee, true);
        } else if (onStack.containsKey(callee)) {
          frame.lowLink = Math.min(frame.lowLink, calleeIndex);
        }
        continue;
      }
      frames.pop();
      if (!frames.isEmpty()) {
        frames.peek().lowLink = Math.min(frames.peek().lowLink, frame.lowLink);
      }
      if (frame.lowLink == frame.index) {
        List<Body> component = new ArrayList<>();
        Body member;
        do {
          member = componentStack.pop();
          onStack.remove(member);
          component.add(member);
        } while (member != frame.body);
        solveComponent(component);
      }
    }
  }

  /**
   * The common case, a method in no call cycle: its facts are its own and its callees'. Returns
   * false for a method that calls itself, which the general case handles.
   */
  private boolean solveAlone(Body body) {
    SortedMap<F, Site> own = direct.apply(body);
    TreeMap<F, Witness> all = new TreeMap<>();
    own.forEach((fact, site) -> all.put(fact, new Direct(site)));
    for (Step step : callees(body)) {
      if (step.callee() == body) {
        return false;
      }
      addThrough(step.call(), step.callee(), solved.get(step.callee()), all);
    }
    solved.put(body, all.isEmpty() ? ImmutableSortedMap.of() : ImmutableSortedMap.copyOfSorted(all));
    return true;
  }

  /** Adds to {@code facts} what the callee's facts are through the call, where they are shallower. */
  private void addThrough(
      CallSite call, Body callee, Map<F, Witness> calleeFacts, Map<F, Witness> facts) {
    for (Map.Entry<F, Witness> known : calleeFacts.entrySet()) {
      int depth = known.getValue().depth() + 1;
      if (depth > maxDepth) {
        continue;
      }
      F seen = transfer.through(call, callee, known.getKey());
      if (seen != null) {
        Witness before = facts.get(seen);
        if (before == null || before.depth() > depth) {
          facts.put(seen, new ViaCall(call, callee, known.getKey(), depth));
        }
      }
    }
  }

  /**
   * Solves one strongly connected component whose callees outside it are all solved: facts flow
   * from callee to caller inside it shallowest first, so each keeps a shortest chain.
   */
  private void solveComponent(List<Body> component) {
    if (component.size() == 1 && solveAlone(component.get(0))) {
      return;
    }
    inCallCycles.addAll(component);
    Map<Body, TreeMap<F, Witness>> facts = new IdentityHashMap<>();
    Map<Body, List<Step>> callersInside = new IdentityHashMap<>();
    for (Body member : component) {
      facts.put(member, new TreeMap<>());
    }
    // Facts still to pass on, by depth: unit steps make this a breadth-first search.
    List<Deque<Map.Entry<Body, F>>> byDepth = new ArrayList<>();
    for (Body member : component) {
      TreeMap<F, Witness> own = facts.get(member);
      direct.apply(member).forEach((fact, site) -> own.put(fact, new Direct(site)));
      for (Step step : callees(member)) {
        if (facts.containsKey(step.callee())) {
          // Remember the reverse edge; facts flow along it once known.
          callersInside
              .computeIfAbsent(step.callee(), k -> new ArrayList<>())
              .add(new Step(step.call(), member));
          continue;
        }
        addThrough(step.call(), step.callee(), solved.get(step.callee()), own);
      }
      own.forEach((fact, witness) -> queue(byDepth, witness.depth()).add(Map.entry(member, fact)));
    }
    for (int depth = 0; depth < byDepth.size(); depth++) {
      Deque<Map.Entry<Body, F>> work = byDepth.get(depth);
      while (!work.isEmpty()) {
        Map.Entry<Body, F> known = work.poll();
        if (facts.get(known.getKey()).get(known.getValue()).depth() < depth || depth >= maxDepth) {
          continue; // passed on already through a shorter chain, or too deep to pass on
        }
        for (Step caller : callersInside.getOrDefault(known.getKey(), List.of())) {
          // Step(call, member): the member makes the call that reaches known.getKey().
          TreeMap<F, Witness> callerFacts = facts.get(caller.callee());
          F seen = transfer.through(caller.call(), known.getKey(), known.getValue());
          if (seen == null) {
            continue;
          }
          Witness before = callerFacts.get(seen);
          if (before == null || before.depth() > depth + 1) {
            callerFacts.put(
                seen, new ViaCall(caller.call(), known.getKey(), known.getValue(), depth + 1));
            queue(byDepth, depth + 1).add(Map.entry(caller.callee(), seen));
          }
        }
      }
    }
    for (Body member : component) {
      solved.put(member, ImmutableSortedMap.copyOfSorted(facts.get(member)));
    }
  }

  private static <T> Deque<T> queue(List<Deque<T>> byDepth, int depth) {
    while (byDepth.size() <= depth) {
      byDepth.add(new ArrayDeque<>());
    }
    return byDepth.get(depth);
  }
}
