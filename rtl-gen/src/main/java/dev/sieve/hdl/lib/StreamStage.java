package dev.sieve.hdl.lib;

import dev.sieve.arch.Range;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.Signal;
import dev.sieve.hdl.Stream;

/**
 * One register stage on a stream: payload and valid are registered; {@code in_ready} is high when
 * the stage is empty or its content leaves this cycle, so a full stream passes one item per cycle
 * with one cycle of latency. (Ready is combinational from {@code out_ready}.)
 */
public final class StreamStage extends Component {

    /** Stage parameters: payload width in bits (1..1024). */
    public record Config(int width) {
        public static final Range WIDTH = new Range(1, 1024);

        public Config {
            WIDTH.check("width", width);
        }
    }

    public final Stream in;
    public final Stream out;
    private final Signal full;
    private final Signal data;

    public StreamStage(Config cfg) {
        super("stream_stage_w" + cfg.width());
        in = streamIn("in", cfg.width());
        out = streamOut("out", cfg.width());
        full = reg(1, 0);
        data = regNoReset("data", cfg.width());

        assign(in.ready(), full.not().or(out.ready()));
        when(in.ready(), () -> {
            assign(full, in.valid());
            when(in.valid(), () -> assign(data, in.payload()));
        });
        assign(out.valid(), full);
        assign(out.payload(), data);
    }
}
