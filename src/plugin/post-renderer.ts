/** `--post-renderer NAME`: a `postrenderer/v1` plugin as the chart layer's post-renderer. */
import type { PostRenderer } from "../chart/render/post-render.ts";
import { findPlugin } from "./plugins.ts";
import { runPlugin } from "./subprocess.ts";

/** Look the plugin up now (a missing one is a flag error, as in Helm); run it when rendering. */
export function postRendererPlugin(pluginPaths: string, name: string, args: readonly string[]): PostRenderer {
  const plugin = findPlugin(pluginPaths, name, "postrenderer/v1");
  return async (stream) => {
    // Loaded when rendering, not when the flag is read: post-render.ts brings the yaml package.
    const { PostRenderError } = await import("../chart/render/post-render.ts");
    let out: string;
    try {
      out = await runPlugin(plugin, pluginPaths, args, stream);
    } catch (err) {
      throw new PostRenderError(
        `error while running post render on files: failed to invoke post-renderer plugin "${name}": ${(err as Error).message}`,
      );
    }
    if (out.trim() === "") {
      throw new PostRenderError(
        `error while running post render on files: post-renderer "${name}" produced empty output`,
      );
    }
    return out;
  };
}
