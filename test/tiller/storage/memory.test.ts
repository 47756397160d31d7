import { MemoryDriver, MemoryStore } from "../../../src/tiller/storage/memory.ts";
import { driverContract } from "./contract.ts";

const store = new MemoryStore();
driverContract("memory", (slot) => ({
  driver: new MemoryDriver(store, `ns-${slot}`),
  namespace: `ns-${slot}`,
}));
