import { loadConfig } from "../server/config.ts";
import { openDatabase } from "../server/database.ts";

// `npm run db:migrate`: applies the committed migrations (the server also does this at start-up).
const database = await openDatabase(loadConfig());
await database.close();
console.log("migrations applied");
