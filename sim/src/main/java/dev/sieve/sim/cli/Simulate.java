package dev.sieve.sim.cli;

public final class Simulate {
    public static void main(String[] args) {
        System.out.println("sieve");
    }
}
