package dev.sieve.dataflow.sparse;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The R-MAT (recursive matrix) graph generator with the Graph500 parameters a = 0.57,
 * b = c = 0.19, d = 0.05: {@code edgeFactor * 2^scale} directed edges over {@code 2^scale}
 * vertices, each placed by descending {@code scale} levels of the 2x2 quadrant split. Duplicate
 * edges collapse to one entry; self loops are kept. As in Graph500, vertex labels are then
 * shuffled by a seeded permutation so that the hub vertices are not all at low indices. The same
 * seed gives the same matrix.
 */
public final class Rmat {
    public static final double A = 0.57;
    public static final double B = 0.19;
    public static final double C = 0.19;

    private Rmat() {
    }

    /** A pattern adjacency matrix (every value 1). */
    public static Csr generate(int scale, int edgeFactor, long seed) {
        if (scale < 1 || scale > 26) {
            throw new IllegalArgumentException("R-MAT scale = " + scale + " is out of range; allowed 1 .. 26");
        }
        if (edgeFactor < 1 || edgeFactor > 1024) {
            throw new IllegalArgumentException("R-MAT edge factor = " + edgeFactor + " is out of range; allowed 1 .. 1024");
        }
        int n = 1 << scale;
        long m = (long) edgeFactor * n;
        if (m > 1L << 30) {
            throw new IllegalArgumentException("R-MAT scale " + scale + " with edge factor " + edgeFactor + " gives "
                    + m + " edges; allowed up to 2^30");
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        long[] edges = new long[(int) m];
        for (int e = 0; e < m; e++) {
            int r = 0;
            int c = 0;
            for (int level = 0; level < scale; level++) {
                double u = rnd.nextDouble();
                r <<= 1;
                c <<= 1;
                if (u < A) {
                    continue;
                } else if (u < A + B) {
                    c |= 1;
                } else if (u < A + B + C) {
                    r |= 1;
                } else {
                    r |= 1;
                    c |= 1;
                }
            }
            edges[e] = ((long) perm[r] << 32) | perm[c];
        }
        Arrays.sort(edges);
        int unique = 0;
        for (int e = 0; e < edges.length; e++) {
            if (e == 0 || edges[e] != edges[e - 1]) {
                edges[unique++] = edges[e];
            }
        }
        int[] ptr = new int[n + 1];
        int[] col = new int[unique];
        for (int e = 0; e < unique; e++) {
            ptr[(int) (edges[e] >>> 32) + 1]++;
            col[e] = (int) edges[e];
        }
        for (int i = 0; i < n; i++) {
            ptr[i + 1] += ptr[i];
        }
        double[] val = new double[unique];
        Arrays.fill(val, 1.0);
        return new Csr(n, n, ptr, col, val);
    }

    /**
     * An R-MAT matrix with small integer values {@code 1 .. maxValue} drawn from {@code seed}, so
     * that products exercise the arithmetic and stay exact in doubles.
     */
    public static Csr generateValued(int scale, int edgeFactor, long seed, int maxValue) {
        Csr p = generate(scale, edgeFactor, seed);
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        return p.mapValues(x -> 1 + rnd.nextInt(maxValue));
    }
}
