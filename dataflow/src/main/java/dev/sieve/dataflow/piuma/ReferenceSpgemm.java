package dev.sieve.dataflow.piuma;

import dev.sieve.dataflow.sparse.Coo;
import dev.sieve.dataflow.sparse.Csr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The independent check: C = A x B by the textbook definition over maps, written without any of
 * the machinery of the algorithms (no CSR walking tricks, no hashing of our own, no sorting
 * code): for every stored A(i,k) and every stored B(k,j), add the product into
 * {@code C[i][j]}. An entry exists when at least one product reaches it.
 */
public final class ReferenceSpgemm {
    private ReferenceSpgemm() {
    }

    public static Csr multiply(Csr a, Csr b) {
        if (a.cols() != b.rows()) {
            throw new IllegalArgumentException("inner dimensions differ: " + a.cols() + " vs " + b.rows());
        }
        Map<Integer, Map<Integer, Double>> bRows = new TreeMap<>();
        Coo bt = b.toCoo();
        for (int n = 0; n < bt.size(); n++) {
            bRows.computeIfAbsent(bt.row()[n], k -> new TreeMap<>()).put(bt.col()[n], bt.value()[n]);
        }
        Map<Integer, Map<Integer, Double>> c = new TreeMap<>();
        Coo at = a.toCoo();
        for (int n = 0; n < at.size(); n++) {
            Map<Integer, Double> row = bRows.get(at.col()[n]);
            if (row == null) {
                continue;
            }
            Map<Integer, Double> out = c.computeIfAbsent(at.row()[n], k -> new TreeMap<>());
            for (Map.Entry<Integer, Double> e : row.entrySet()) {
                out.merge(e.getKey(), at.value()[n] * e.getValue(), Double::sum);
            }
        }
        List<int[]> pos = new ArrayList<>();
        List<Double> val = new ArrayList<>();
        for (Map.Entry<Integer, Map<Integer, Double>> r : c.entrySet()) {
            for (Map.Entry<Integer, Double> e : r.getValue().entrySet()) {
                pos.add(new int[] {r.getKey(), e.getKey()});
                val.add(e.getValue());
            }
        }
        int[] ri = new int[pos.size()];
        int[] ci = new int[pos.size()];
        double[] v = new double[pos.size()];
        for (int n = 0; n < pos.size(); n++) {
            ri[n] = pos.get(n)[0];
            ci[n] = pos.get(n)[1];
            v[n] = val.get(n);
        }
        return new Coo(a.rows(), b.cols(), ri, ci, v).toCsr();
    }
}
