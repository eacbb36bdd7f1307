package dev.sieve.sim.sat;

/**
 * SCALE-Sim's weight-stationary fold formula (Samajdar et al., "A Systematic Methodology for
 * Characterizing Scalability of DNN Accelerators using SCALE-Sim", ISPASS 2020), for comparison only:
 * an {@code R x C} array of single-MAC PEs maps reduction K onto rows and Cout onto columns,
 * {@code folds = ceil(K/R) * ceil(Cout/C)}, and each fold takes {@code 2R + C + P - 2} cycles
 * (R to load weights, then the skewed stream of P vectors with R + C - 2 fill and drain).
 *
 * <p>Sieve's dense INT8 mode with L = 1, one segment and unbounded DRAM takes
 * {@code R + (folds - 1) * max(P, R + C - 1) + P + R + C - 1 + X} (see {@link TileTiming}; X =
 * {@code SatConfig.PRODUCT_STAGES} = 2): the weights are double-buffered and each PE switches to the
 * next fold's weights as that fold's first vector reaches it, so a fold follows the previous one's
 * last vector (or its weight reload, R + C - 1 cycles, when P is shorter) and only the first load and
 * the last fill (one cycle more than SCALE-Sim's for the output register, X more for the PE's product
 * pipeline) are exposed. For {@code P >= R + C - 1}:
 * {@code sieve = scalesim - (folds - 1) * (2R + C - 2) + 1 + X} exactly. (BF16 PEs hold a partial sum
 * D = {@code L x fpAddStages} cycles instead of one: the last fill is {@code R D + C - 1 + X} and the
 * reload {@code C + D (R - 1)}.)
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
