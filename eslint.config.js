// @ts-check
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["node_modules/**", "data/**", ".wrangler/**", "test-results/**", "src/store/migrations/**"],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "ExportDefaultDeclaration",
          message: "Named exports only (the Wrangler entry src/worker.ts is the one default export).",
        },
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Only src/env.ts reads process.env (through parseEnv).",
        },
      ],
    },
  },
  {
    files: ["src/env.ts", "src/server.ts", "src/cli.ts", "test/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "ExportDefaultDeclaration", message: "Named exports only." },
      ],
    },
  },
  {
    files: ["src/worker.ts", "**/*.config.ts", "**/*.config.js"],
    rules: { "no-restricted-syntax": "off" },
  },
);
