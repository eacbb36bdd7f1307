package dev.sieve.hdl.spatten.model;

import dev.sieve.arch.spatten.AttentionArithmetic;
import dev.sieve.arch.spatten.AttentionPipeline;
import dev.sieve.hdl.spatten.SpAttenPipeline;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A recorded stimulus for {@link SpAttenPipeline}: queries issued back to back against the golden
 * model by a reactive test bench (a start as soon as the pipeline is {@code ready}; a K fetcher that
 * answers {@code k_ready} with the Q·K stage's query, or the softmax stage's again while
 * {@code refetch}; a V fetcher that
 * sends the value stage's query's rows named by its {@code sel_*} keep-masks, or all rows when it
 * selects nothing; an output sink), optionally idling the streams at random and resetting in the
 * middle of a query (a query that resets is issued alone, so the reset abandons only it). Every
 * input of every cycle is recorded, so a lockstep run can replay it as a pure function of the
 * cycle; each query's start and output cycles, output vector and selection state are kept for
 * checks.
 */
public final class SpAttenPipelineJobs {

    /**
     * One query: {@code q} (D elements), {@code keys} and {@code values} ({@code n} rows of D), the
     * values kept {@code k}, the low bits {@code lsb} cleared in the first pass, the refetch
     * threshold {@code tau} ({@link AttentionArithmetic#refetchThreshold}); {@code resetAfter > 0}
     * resets the pipeline that many cycles after the start (the query is abandoned).
     */
    public record Job(int[] q, int[][] keys, int[][] values, int k, int lsb, int tau, int resetAfter) {
        public int n() {
            return keys.length;
        }
    }

    /**
     * What happened to a job: its start cycle, the cycle its output was taken (-1 if none: an error
     * or a reset), the output vector, whether it refetched, whether any stream idled while it was in
     * the pipeline, the engine's LFSR state at its selection and its probabilities.
     */
    public record Slot(Job job, long startCycle, long outCycle, int[] out, boolean refetched, boolean err,
                       boolean stalled, int lfsr, int[] prob) {
        /** Cycles from the start cycle to the output cycle, both included. */
        public long cycles() {
            return outCycle - startCycle + 1;
        }
    }

    private static final int RST = 0, START = 1, N = 2, K = 3, LSB = 4, TAU = 5, K_VALID = 6, V_VALID = 7,
            OUT_READY = 8;

    private final AttentionPipeline cfg;
    private final SpAttenPipelineModel model;
    private final SplittableRandom random;
    private final double idle;
    private final List<long[]> control = new ArrayList<>();
    private final List<BigInteger> qData = new ArrayList<>();
    private final List<BigInteger> kData = new ArrayList<>();
    private final List<BigInteger> vData = new ArrayList<>();
    private final List<Slot> slots = new ArrayList<>();
    /** The tag the model gives the next start (starts since the last reset). */
    private int tag;

    /**
     * A bench for {@code cfg}; each cycle a stream valid or the output's ready is held low with
     * probability {@code idle} (0: full rate), from {@code seed}.
     */
    public SpAttenPipelineJobs(AttentionPipeline cfg, double idle, long seed) {
        this.cfg = cfg;
        this.model = new SpAttenPipelineModel(cfg);
        this.random = new SplittableRandom(seed);
        this.idle = idle;
    }

    /** A query in the pipeline. */
    private static final class Flight {
        final Job job;
        final long startCycle;
        final List<Integer> kept = new ArrayList<>();
        final boolean selecting;
        int kBeat, vBeat, lfsr;
        boolean secondPass, stalled;
        int[] prob;

        Flight(Job job, long startCycle) {
            this.job = job;
            this.startCycle = startCycle;
            this.selecting = AttentionPipeline.selects(job.n(), job.k());
            if (!selecting) {
                for (int i = 0; i < job.n(); i++) {
                    kept.add(i);
                }
            }
        }
    }

    /** Runs {@code job} alone to its end (output taken, error, or reset) and records it. */
    public Slot add(Job job) {
        return run(List.of(job)).get(0);
    }

    /**
     * Issues {@code jobs} back to back (each as soon as the pipeline is ready; one that resets
     * waits for an empty pipeline and runs alone), runs until the pipeline is empty and records
     * them; returns their slots in job order.
     */
    public List<Slot> run(List<Job> jobs) {
        int w = AttentionArithmetic.WORD_BITS;
        int d = cfg.headDim();
        Slot[] done = new Slot[jobs.size()];
        java.util.Map<Integer, Integer> tagToJob = new java.util.HashMap<>();
        java.util.Map<Integer, Flight> flights = new java.util.HashMap<>();
        int next = 0;
        long progress = control.size();
        while (next < jobs.size() || !flights.isEmpty()) {
            long cycle = control.size();
            long[] c = new long[9];
            BigInteger qw = null, kw = null, vw = null;
            // a resetting query's reset abandons it (it runs alone)
            Integer resetTag = null;
            for (java.util.Map.Entry<Integer, Flight> f : flights.entrySet()) {
                Job j = f.getValue().job;
                if (j.resetAfter() > 0 && cycle - f.getValue().startCycle >= j.resetAfter()) {
                    resetTag = f.getKey();
                }
            }
            if (resetTag != null) {
                c[RST] = 1;
                step(c, null, null, null);
                for (java.util.Map.Entry<Integer, Flight> f : flights.entrySet()) {
                    Flight fl = f.getValue();
                    done[tagToJob.get(f.getKey())] = new Slot(fl.job, fl.startCycle, -1, null, false, false,
                            fl.stalled, fl.lfsr, fl.prob);
                }
                flights.clear();
                tagToJob.clear();
                tag = 0;
                progress = control.size();
                continue;
            }
            boolean kReady = model.kReady();
            int cs = model.valueState();
            boolean alone = !flights.isEmpty() && flights.values().stream().anyMatch(f -> f.job.resetAfter() > 0);
            boolean startNow = false;
            Job starting = null;
            if (model.output("ready") != 0 && next < jobs.size() && !alone
                    && (jobs.get(next).resetAfter() == 0 || !model.busy())) {
                starting = jobs.get(next);
                startNow = true;
                c[START] = 1;
                c[N] = starting.n();
                c[K] = starting.k();
                c[LSB] = starting.lsb();
                c[TAU] = starting.tau();
                qw = pack(starting.q(), 0, d, w);
            }
            boolean hold = idle > 0 && random.nextDouble() < idle;
            if (hold && (kReady || cs == SpAttenPipeline.PV || cs == SpAttenPipeline.OUT)) {
                flights.values().forEach(f -> f.stalled = true);
            }
            if (kReady && !hold) {
                Flight f = flights.get(model.kTag());
                if (model.secondPass() && !f.secondPass) {
                    f.secondPass = true;
                    f.kBeat = 0; // the refetch pass takes the keys again
                }
                c[K_VALID] = 1;
                kw = kBeat(f.job, f.kBeat++);
            }
            if (cs == SpAttenPipeline.PV && !hold) {
                Flight f = flights.get(model.valueTag());
                c[V_VALID] = 1;
                vw = vBeat(f.job, f.kept, f.vBeat++);
            }
            Integer outTag = null;
            int[] outNow = null;
            boolean refNow = false;
            if (cs == SpAttenPipeline.OUT && !hold) {
                c[OUT_READY] = 1;
                outTag = model.valueTag();
                outNow = model.outputVector();
                refNow = model.refetched();
            }
            if (model.selectState() == SpAttenPipeline.DIV) {
                Flight f = flights.get(model.selectTag());
                if (f.prob == null) {
                    f.prob = model.probabilities();
                    f.lfsr = model.lfsrAtSelection();
                }
            }
            step(c, qw, kw, vw);
            if (model.output("sel_valid") != 0) {
                Flight f = flights.get(model.selectTag());
                if (f.selecting) {
                    f.kept.addAll(model.selectedNow());
                }
            }
            if (control.size() - progress > 10_000_000L) {
                throw new IllegalStateException("the pipeline made no progress for 10,000,000 cycles");
            }
            if (startNow) {
                progress = control.size();
                int t = tag++;
                if (model.scoreState() == SpAttenPipeline.ERR) {
                    done[next] = new Slot(starting, cycle, -1, null, false, true, false, 0, null);
                } else {
                    flights.put(t, new Flight(starting, cycle));
                    tagToJob.put(t, next);
                }
                next++;
            }
            if (outTag != null) {
                progress = control.size();
                Flight f = flights.remove(outTag);
                done[tagToJob.remove(outTag)] = new Slot(f.job, f.startCycle, cycle, outNow, refNow, false,
                        f.stalled, f.lfsr, f.prob);
            }
        }
        List<Slot> out = java.util.Arrays.asList(done);
        slots.addAll(out);
        return out;
    }

    /** Idle cycles with every input low. */
    public void idle(int cycles) {
        for (int i = 0; i < cycles; i++) {
            step(new long[9], null, null, null);
        }
    }

    private void step(long[] c, BigInteger q, BigInteger k, BigInteger v) {
        control.add(c);
        qData.add(q);
        kData.add(k);
        vData.add(v);
        model.setInput("rst", c[RST]);
        model.setInput("start", c[START]);
        model.setInput("q", q == null ? BigInteger.ZERO : q);
        model.setInput("n", c[N]);
        model.setInput("k", c[K]);
        model.setInput("lsb", c[LSB]);
        model.setInput("tau", c[TAU]);
        model.setInput("k_valid", c[K_VALID]);
        model.setInput("k_payload", k == null ? BigInteger.ZERO : k);
        model.setInput("v_valid", c[V_VALID]);
        model.setInput("v_payload", v == null ? BigInteger.ZERO : v);
        model.setInput("out_ready", c[OUT_READY]);
        model.tick();
    }

    /** K beat {@code b}: P elements, whole keys when P >= D. */
    private BigInteger kBeat(Job job, int b) {
        int w = AttentionArithmetic.WORD_BITS;
        int d = cfg.headDim();
        int p = cfg.qkMultipliers();
        BigInteger word = BigInteger.ZERO;
        for (int l = p - 1; l >= 0; l--) {
            int key, e;
            if (p >= d) {
                key = b * cfg.keysPerBeat() + l / d;
                e = l % d;
            } else {
                key = b / cfg.beatsPerKey();
                e = (b % cfg.beatsPerKey()) * p + l;
            }
            int v = key < job.n() ? job.keys()[key][e] : 0;
            word = word.shiftLeft(w).or(BigInteger.valueOf(v & ((1 << w) - 1)));
        }
        return word;
    }

    /** V beat {@code b} of the kept rows: the rows' indices above Pv lanes. */
    private BigInteger vBeat(Job job, List<Integer> kept, int b) {
        int w = AttentionArithmetic.WORD_BITS;
        int d = cfg.headDim();
        int pv = cfg.pvMultipliers();
        int kv = cfg.rowsPerBeat();
        int iw = SpAttenPipeline.indexWidth(cfg);
        int first = (b / cfg.beatsPerRow()) * kv;
        BigInteger idx = BigInteger.ZERO;
        for (int r = kv - 1; r >= 0; r--) {
            int i = first + r < kept.size() ? kept.get(first + r) : 0;
            idx = idx.shiftLeft(iw).or(BigInteger.valueOf(i));
        }
        BigInteger word = idx;
        for (int l = pv - 1; l >= 0; l--) {
            int rowNo, e;
            if (pv >= d) {
                rowNo = first + l / d;
                e = l % d;
            } else {
                rowNo = first;
                e = (b % cfg.beatsPerRow()) * pv + l;
            }
            int v = rowNo < kept.size() ? job.values()[kept.get(rowNo)][e] : 0;
            word = word.shiftLeft(w).or(BigInteger.valueOf(v & ((1 << w) - 1)));
        }
        return word;
    }

    private static BigInteger pack(int[] v, int from, int count, int w) {
        BigInteger word = BigInteger.ZERO;
        for (int i = from + count - 1; i >= from; i--) {
            word = word.shiftLeft(w).or(BigInteger.valueOf(v[i] & ((1 << w) - 1)));
        }
        return word;
    }

    public List<Slot> slots() {
        return slots;
    }

    public AttentionPipeline config() {
        return cfg;
    }

    /** Cycles recorded. */
    public long cycles() {
        return control.size();
    }

    public long input(String port, long cycle) {
        long[] c = cycle < control.size() ? control.get((int) cycle) : new long[9];
        return switch (port) {
            case "rst" -> c[RST];
            case "start" -> c[START];
            case "n" -> c[N];
            case "k" -> c[K];
            case "lsb" -> c[LSB];
            case "tau" -> c[TAU];
            case "k_valid" -> c[K_VALID];
            case "v_valid" -> c[V_VALID];
            case "out_ready" -> c[OUT_READY];
            default -> throw new IllegalArgumentException("not a narrow input: " + port);
        };
    }

    public BigInteger wide(String port, long cycle) {
        List<BigInteger> list = switch (port) {
            case "q" -> qData;
            case "k_payload" -> kData;
            case "v_payload" -> vData;
            default -> throw new IllegalArgumentException("not a wide input: " + port);
        };
        BigInteger v = cycle < list.size() ? list.get((int) cycle) : null;
        return v == null ? BigInteger.ZERO : v;
    }

    /** Narrow and wide input names, for drivers. */
    public static final List<String> NARROW = List.of("rst", "start", "n", "k", "lsb", "tau", "k_valid", "v_valid",
            "out_ready");
    public static final List<String> WIDE = List.of("q", "k_payload", "v_payload");
}
