// ESLint flat config (ESLint 10, typescript-eslint 8). No type-aware rules: keeps `npm run lint` fast.
// Import direction between folders is checked separately by tools/lint-imports.ts.
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig([
  globalIgnores([
    "node_modules/",
    "build/",
    ".react-router/",
    ".data/",
    "test-results/",
    "playwright-report/",
    "tests/artifacts/",
  ]),
  {
    files: ["**/*.{ts,tsx}"],
    extends: [tseslint.configs.recommended],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
    },
  },
]);
