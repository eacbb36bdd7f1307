package dev.sieve.hdl.lib;

import dev.sieve.arch.Range;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.Signal;

/** A shift register: {@code out} is {@code in} from {@code stages} cycles earlier (zero after reset). */
public final class DelayLine extends Component {

    /** Delay-line parameters: width 1..1024 bits, 1..64 stages. */
    public record Config(int width, int stages) {
        public static final Range WIDTH = new Range(1, 1024);
        public static final Range STAGES = new Range(1, 64);

        public Config {
            WIDTH.check("width", width);
            STAGES.check("stages", stages);
        }
    }

    public final Signal in;
    public final Signal out;

    public DelayLine(Config cfg) {
        super("delay_w" + cfg.width() + "_s" + cfg.stages());
        in = input(cfg.width());
        out = output(cfg.width());
        assign(out, Logic.delay(this, "stage", in, cfg.stages(), null));
    }
}
