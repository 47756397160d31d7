/** `--post-renderer NAME` / `--post-renderer-args ARG`: the flags, and the plugin they name. */
import type { Command, OptionValues } from "@commander-js/extra-typings";
import type { PostRenderer } from "../chart/render/post-render.ts";
import { PluginError } from "../plugin/plugins.ts";
import { postRendererPlugin } from "../plugin/post-renderer.ts";
import { UserError } from "./errors.ts";
import { collect } from "./program.ts";

export function addPostRendererFlags<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .option(
      "--post-renderer <postRendererString>",
      "the name of a postrenderer type plugin to be used for post rendering. If it exists, the plugin will be used",
    )
    .option(
      "--post-renderer-args <postRendererArgsSlice>",
      "an argument to the post-renderer (can specify multiple)",
      collect,
    );
}

/** The post-renderer the flags name, if any; a plugin that is not installed is a flag error. */
export function postRendererOf(
  flags: { postRenderer?: string; postRendererArgs?: string[] },
  pluginsDirectory: string,
): PostRenderer | undefined {
  if (!flags.postRenderer) return undefined;
  try {
    return postRendererPlugin(pluginsDirectory, flags.postRenderer, flags.postRendererArgs ?? []);
  } catch (err) {
    if (!(err instanceof PluginError)) throw err;
    throw new UserError(
      `invalid argument "${flags.postRenderer}" for "--post-renderer" flag: ${err.message}`,
    );
  }
}
