import type { Config } from "@react-router/dev/config";

// Server-rendered framework mode; the Express server in server/ hosts the request handler.
export default {
  appDirectory: "app",
  ssr: true,
} satisfies Config;
