package dev.sieve.sim.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.dataflow.sat.LoopOrder;
import dev.sieve.dataflow.sat.PassGemm;
import dev.sieve.dataflow.sat.Schedule;
import dev.sieve.hdl.sat.SatAcceleratorLayout;
import dev.sieve.hdl.sat.SatDatapath;
import dev.sieve.hdl.sat.model.SatAcceleratorBench;
import dev.sieve.hdl.sat.model.SatAcceleratorData;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One GEMM pass of a schedule on a Verilated {@code SatAccelerator}: random operands (N:M-pruned
 * for a sparse pass: N random positions of every group of M along the reduction kept), packed into
 * memory, run through the registers, and compared with the reference in the accelerator's order
 * (bits) and with {@link SatModel#acceleratorCycles} (cycles).
 */
public final class SatCosim {
    private SatCosim() {
    }

    /** What one pass gave: the model's and the RTL's cycles, and the first differing output if any. */
    public record Outcome(Schedule schedule, long modelCycles, long rtlCycles, long observedCycles,
                          Optional<String> mismatch, double seconds) {
        public boolean cycleExact() {
            return modelCycles == rtlCycles && rtlCycles == observedCycles;
        }

        public boolean bitExact() {
            return mismatch.isEmpty();
        }
    }

    /**
     * The descriptor of {@code s} with regions at {@code wAddr}, {@code xAddr}, {@code yAddr}, or an
     * error with the hardware's reason when the built accelerator refuses it.
     */
    public static SatAcceleratorLayout.Command command(SatAcceleratorLayout layout, Schedule s, long wAddr, long xAddr,
                                                       long yAddr) {
        return layout.require(new SatAcceleratorLayout.Command(s.gemm().vectors(), s.kTiles(), s.colTiles(), s.chunk(),
                layout.datapath().patterns().indexOf(s.gemm().pattern()), Integer.numberOfTrailingZeros(s.segments()),
                s.order() == LoopOrder.INPUT_STATIONARY, wAddr, xAddr, yAddr));
    }

    /** Runs {@code s} on {@code bench} (its memory answers after {@code latency} cycles). */
    public static Outcome run(SatAcceleratorBench bench, SatAcceleratorLayout layout, Schedule s, SplittableRandom rnd,
                              int latency) {
        SatDatapath dp = layout.datapath();
        SatAcceleratorData data = new SatAcceleratorData(layout);
        PassGemm g = s.gemm();
        NmPattern p = g.pattern();
        int m = Math.toIntExact(g.outputs());
        int k = Math.toIntExact(g.reduction());
        int n = Math.toIntExact(g.vectors());
        boolean bf16 = dp.format() == NumberFormat.BF16_FP32;
        int[][] w = new int[m][k];
        int[][] x = new int[k][n];
        for (int i = 0; i < m; i++) {
            for (int kk = 0; kk < k; kk++) {
                w[i][kk] = value(rnd, bf16);
            }
            if (!p.isDense()) {
                prune(w[i], p, rnd);
            }
        }
        for (int kk = 0; kk < k; kk++) {
            for (int v = 0; v < n; v++) {
                x[kk][v] = value(rnd, bf16);
            }
        }
        long groups = (s.kTiles() + s.segments() - 1) / s.segments();
        byte[] wr = data.weights(w, p, groups, s.colTiles());
        byte[] xr = data.activations(x, p, groups);
        long xAddr = SatAcceleratorLayout.align(wr.length);
        long yAddr = xAddr + SatAcceleratorLayout.align(xr.length);
        SatAcceleratorLayout.Command c = command(layout, s, 0, xAddr, yAddr);
        bench.write(0, wr);
        bench.write(xAddr, xr);
        long t0 = System.nanoTime();
        SatAcceleratorBench.Run run = bench.run(c, 1L << 40);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (run.error()) {
            throw new IllegalStateException("the accelerator refused a descriptor its Java rule accepts: " + c);
        }
        int[][] y = data.outputs(bench.read(yAddr, Math.toIntExact(data.outputBytes(s.colTiles(), n))), m, n);
        int[][] ref = data.reference(w, x, p, s.segments());
        Optional<String> mismatch = Optional.empty();
        for (int i = 0; i < m && mismatch.isEmpty(); i++) {
            if (!Arrays.equals(ref[i], y[i])) {
                int v = Arrays.mismatch(ref[i], y[i]);
                mismatch = Optional.of(String.format("output (%d, %d): rtl 0x%08x, reference 0x%08x", i, v, y[i][v],
                        ref[i][v]));
            }
        }
        return new Outcome(s, SatModel.acceleratorCycles(s, latency), run.busyCycles(), run.observedCycles(), mismatch,
                seconds);
    }

    /** Keeps N random positions of every group of M of {@code row}, zeroing the others. */
    private static void prune(int[] row, NmPattern p, SplittableRandom rnd) {
        for (int g0 = 0; g0 < row.length; g0 += p.m()) {
            int len = Math.min(p.m(), row.length - g0);
            boolean[] keep = new boolean[len];
            for (int kept = 0; kept < Math.min(p.n(), len); ) {
                int t = rnd.nextInt(len);
                if (!keep[t]) {
                    keep[t] = true;
                    kept++;
                }
            }
            for (int t = 0; t < len; t++) {
                if (!keep[t]) {
                    row[g0 + t] = 0;
                }
            }
        }
    }

    /** INT8: any nonzero byte; BF16: random sign, exponent 120 .. 134 and mantissa (sums stay normal). */
    private static int value(SplittableRandom rnd, boolean bf16) {
        if (!bf16) {
            return rnd.nextInt(1, 256);
        }
        return rnd.nextInt(2) << 15 | rnd.nextInt(120, 135) << 7 | rnd.nextInt(128);
    }
}
