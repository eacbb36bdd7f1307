/**
 * The SAT-style N:M sparse training accelerator as hardware: {@link dev.sieve.arch.sat.SatConfig},
 * the one record its cycle model, its RTL generators and its Java golden models take. A limit of
 * the generated RTL is a rule of this record, checked here with the record's message.
 */
package dev.sieve.arch.sat;
