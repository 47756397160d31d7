/** Tables for commands: Helm's uitable layout, implemented once in the chart layer so repo and chart code share it. */
export { formatTable, truncateCell } from "../chart/uitable.ts";
