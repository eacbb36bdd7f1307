package dev.sieve.driver.nn;

import java.util.List;

/** One layer: forward keeps what backward needs; backward returns the input gradient (null when not needed). */
public interface Module {
    Act forward(Act x);

    Act backward(Act dy);

    default List<Param> params() {
        return List.of();
    }

    String name();
}
