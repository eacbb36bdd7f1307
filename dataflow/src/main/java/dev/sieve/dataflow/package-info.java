/**
 * What runs on the accelerators and how it is mapped: workloads, schedules and the readers of the
 * formats users already have. Models of hardware cost live in {@code sim}, never here.
 */
package dev.sieve.dataflow;
