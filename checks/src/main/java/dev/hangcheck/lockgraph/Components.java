package dev.hangcheck.lockgraph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Strongly connected components of a graph whose nodes are numbered {@code 0..n-1}, by Tarjan's
 * algorithm, iterative (deep chains must not overflow javac's stack). Linear in nodes and edges.
 */
final class Components {

  private Components() {}

  /** A growable adjacency list. */
  static final class Graph {
    private final List<int[]> successors = new ArrayList<>();
    private final List<Integer> sizes = new ArrayList<>();

    int addNode() {
      successors.add(new int[2]);
      sizes.add(0);
      return successors.size() - 1;
    }

    int size() {
      return successors.size();
    }

    void addEdge(int from, int to) {
      int[] out = successors.get(from);
      int size = sizes.get(from);
      if (size == out.length) {
        out = Arrays.copyOf(out, out.length * 2);
        successors.set(from, out);
      }
      out[size] = to;
      sizes.set(from, size + 1);
    }

    int degree(int node) {
      return sizes.get(node);
    }

    int successor(int node, int i) {
      return successors.get(node)[i];
    }
  }

  /** For each node, the number of its component; nodes of one component share it. */
  static int[] of(Graph graph) {
    int n = graph.size();
    int[] index = new int[n];
    int[] lowLink = new int[n];
    int[] component = new int[n];
    boolean[] onStack = new boolean[n];
    Arrays.fill(index, -1);
    int[] stack = new int[n];
    int stackSize = 0;
    int[] frameNode = new int[n];
    int[] frameNext = new int[n];
    int counter = 0;
    int components = 0;
    for (int root = 0; root < n; root++) {
      if (index[root] >= 0) {
        continue;
      }
      int depth = 0;
      frameNode[0] = root;
      frameNext[0] = 0;
      index[root] = lowLink[root] = counter++;
      stack[stackSize++] = root;
      onStack[root] = true;
      while (depth >= 0) {
        int node = frameNode[depth];
        if (frameNext[depth] < graph.degree(node)) {
          int next = graph.successor(node, frameNext[depth]++);
          if (index[next] < 0) {
            index[next] = lowLink[next] = counter++;
            stack[stackSize++] = next;
            onStack[next] = true;
            depth++;
            frameNode[depth] = next;
            frameNext[depth] = 0;
          } else if (onStack[next]) {
            lowLink[node] = Math.min(lowLink[node], index[next]);
          }
          continue;
        }
        depth--;
        if (depth >= 0) {
          int parent = frameNode[depth];
          lowLink[parent] = Math.min(lowLink[parent], lowLink[node]);
        }
        if (lowLink[node] == index[node]) {
          int member;
          do {
            member = stack[--stackSize];
            onStack[member] = false;
            component[member] = components;
          } while (member != node);
          components++;
        }
      }
    }
    return component;
  }
}
