package dev.sieve.sim.sat;

/**
 * SCALE-Sim's weight-stationary fold formula (Samajdar et al., "A Systematic Methodology for
 * Characterizing Scalability of DNN Accelerators using SCALE-Sim", ISPASS 2020), for comparison only:
 * an {@code R x C} array of single-MAC PEs maps reduction K onto rows and Cout onto columns,
 * {@code folds = ceil(K/R) * ceil(Cout/C)}, and each fold takes {@code 2R + C + P - 2} cycles
 * (R to load weights, then the skewed stream of P vectors with R + C - 2 fill and drain).
 *
 * <p>Sieve's dense INT8 mode with L = 1, one segment and unbounded DRAM takes
 * {@code R + folds * (P + R + C - 1 + X)} (see {@link TileTiming}; X = {@code SatConfig.PRODUCT_STAGES}
 * = 2): one cycle more per fold for the output register that captures a column's result, X more per
 * fold for the PE's product pipeline (SCALE-Sim's PE multiplies and adds in one cycle), {@code R}
 * fewer per fold because Sieve double-buffers the weights, plus the first load once. So
 * {@code sieve - scalesim = R - folds * (R - 1 - X)} exactly. (BF16 PEs hold a partial sum
 * {@code L x fpAddStages} cycles instead of one, which adds {@code (D - 1) x R} per fold.)
 */
public final class ScaleSimWs {

    private ScaleSimWs() {
    }

    public static long folds(int rows, int cols, long k, long cout) {
        return ceilDiv(k, rows) * ceilDiv(cout, cols);
    }

    public static long cycles(int rows, int cols, long k, long cout, long p) {
        return folds(rows, cols, k, cout) * (2L * rows + cols + p - 2);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
