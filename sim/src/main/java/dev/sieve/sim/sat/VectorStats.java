package dev.sieve.sim.sat;

import dev.sieve.dataflow.sat.NonGemmWork;
import java.util.EnumMap;
import java.util.Map;

/**
 * One vector-unit job of a training step ({@link NonGemmWork.Job}: a layer's forward or backward
 * non-GEMM operations, or its weight update) and what it cost.
 *
 * @param busyCycles    the job alone on the unit with the whole DRAM port: max(ops / (lanes x ops per
 *                      lane), DRAM bytes / bandwidth)
 * @param exposedCycles the part of the step's cycles it adds: all of {@code busyCycles} for forward and
 *                      backward jobs (the array waits for them); for an update, what runs after the
 *                      array's last pass
 * @param energyPj      its operations at an FP32 multiply-add each and its DRAM bytes
 */
public record VectorStats(NonGemmWork.Job job, long busyCycles, long exposedCycles, double energyPj) {

    public long dramBytes() {
        return job.readBytes() + job.writeBytes();
    }

    /**
     * {@code exposedCycles} split over the job's parts in proportion to what each would take alone
     * (max of its operations' and its bytes' cycles), by kind.
     */
    public Map<NonGemmWork.Kind, Double> exposedByKind(long opsPerCycle, double bytesPerCycle) {
        Map<NonGemmWork.Kind, Double> out = new EnumMap<>(NonGemmWork.Kind.class);
        double[] alone = new double[job.parts().size()];
        double sum = 0;
        for (int i = 0; i < alone.length; i++) {
            NonGemmWork.Part p = job.parts().get(i);
            alone[i] = Math.max((double) p.ops() / opsPerCycle, (p.readBytes() + p.writeBytes()) / bytesPerCycle);
            sum += alone[i];
        }
        for (int i = 0; i < alone.length; i++) {
            double share = sum == 0 ? 0 : exposedCycles * alone[i] / sum;
            out.merge(job.parts().get(i).kind(), share, Double::sum);
        }
        return out;
    }
}
