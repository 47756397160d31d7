import { MemoryDriver, MemoryStore } from "../../../src/tiller/storage/memory.ts";
import { driverContract } from "./contract.ts";

const store = new MemoryStore();
driverContract("memory", (namespace) => new MemoryDriver(store, namespace));
