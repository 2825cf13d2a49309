// Compiles every tool's input and output schema with Ajv in strict mode for JSON Schema
// 2020-12 (unknown formats and keywords are errors, not warnings), the way a strict client
// validates a server's tool list.
//
//   node strict_schemas.mjs MCP_URL
//
// Lists the tools with the official TypeScript SDK. Prints one JSON line: the number of
// schemas compiled and every problem found.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const client = new Client({ name: 'interop-strict-schemas', version: '1.0.0' });
await client.connect(new StreamableHTTPClientTransport(new URL(process.argv[2])));
const { tools } = await client.listTools();
await client.close();

const problems = [];
let compiled = 0;
for (const tool of tools) {
  for (const [key, schema] of [['inputSchema', tool.inputSchema], ['outputSchema', tool.outputSchema]]) {
    if (schema === undefined) continue;
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
    addFormats(ajv);
    try {
      ajv.compile(schema);
      compiled += 1;
    } catch (error) {
      problems.push(`${tool.name}.${key}: ${error.message}`);
    }
  }
}
console.log(JSON.stringify({ tools: tools.length, compiled, problems }));
