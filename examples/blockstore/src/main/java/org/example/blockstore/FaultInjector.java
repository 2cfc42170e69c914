package org.example.blockstore;

import java.util.Random;

/** Seeded faults so that a run is reproducible: disk errors, timeouts, corrupt packets. */
public final class FaultInjector {
    public enum Fault { NONE, TIMEOUT, REFUSED, CORRUPT, DISK_FULL }

    private final Random random;
    private final double rate;

    public FaultInjector(long seed, double rate) {
        this.random = new Random(seed);
        this.rate = rate;
    }

    public synchronized Fault next() {
        if (random.nextDouble() >= rate) {
            return Fault.NONE;
        }
        Fault[] faults = Fault.values();
        return faults[1 + random.nextInt(faults.length - 1)];
    }

    public synchronized int delayMillis() {
        return random.nextInt(3);
    }
}
