package dev.sieve.hdl;

import java.util.ArrayList;
import java.util.List;

/**
 * Statements recorded by a {@link Component} while its generator runs, before lowering: plain
 * assignments, when-chains (from {@code when}/{@code elsewhen}/{@code otherwise} and
 * {@code switch}) and memory writes. Elaboration lowers them to muxes, last assignment winning.
 */
sealed interface Stmt permits Stmt.Assign, Stmt.WhenChain, Stmt.MemWrite {

    record Assign(Signal target, Expr value, Site site) implements Stmt {
    }

    record MemWrite(Memory memory, Expr address, Expr data, Expr enable, Site site) implements Stmt {
    }

    /** One branch of a when-chain: taken when {@code cond} holds and no earlier branch was. */
    record Branch(Expr cond, List<Stmt> body) {
    }

    /** A when/elsewhen/otherwise chain; {@code otherwise} is null when there is none. */
    final class WhenChain implements Stmt {
        final List<Branch> branches = new ArrayList<>();
        List<Stmt> otherwise;
        final Site site;

        WhenChain(Site site) {
            this.site = site;
        }
    }
}
