// Drives a running ciam-emulator with Tencent's official Node.js SDK (the
// common client of tencentcloud-sdk-nodejs-common, TC3-HMAC-SHA256 signing):
// CreateUser, CreateFileExportUserJob, ListJobs until the job finishes, the
// download of Job.Location, DeleteUsers. Prints one JSON summary line on
// stdout; any failure exits 1 with the reason on stderr.
// Environment: EMULATOR_ENDPOINT (host:port), SECRET_ID, SECRET_KEY, STORE.
// The SDK takes the service of the signature's credential scope from the
// endpoint's first label, so it is addressed as the real one,
// ciam.tencentcloudapi.com:PORT, and an agent resolves that name to the
// emulator's host: the SDK runs unmodified.
"use strict";
const http = require("http");
const { CommonClient } = require("tencentcloud-sdk-nodejs-common");

const env = (k) => {
  if (!process.env[k]) throw new Error(`missing environment variable ${k}`);
  return process.env[k];
};

function download(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`GET ${url}: HTTP ${res.statusCode}`));
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve(body));
    }).on("error", reject);
  });
}

async function main() {
  const store = env("STORE");
  const [host, port] = env("EMULATOR_ENDPOINT").split(":");
  const agent = new http.Agent({
    lookup: (name, opts, cb) => (opts && opts.all ? cb(null, [{ address: host, family: 4 }]) : cb(null, host, 4)),
  });
  const client = new CommonClient(`ciam.tencentcloudapi.com:${port}`, "2022-03-31", {
    credential: { secretId: env("SECRET_ID"), secretKey: env("SECRET_KEY") },
    region: "ap-guangzhou",
    profile: {
      signMethod: "TC3-HMAC-SHA256",
      // The SDK signs the host name without the port (the real endpoint
      // has none), so the Host header it sends must not carry it either.
      httpProfile: { protocol: "http://", reqMethod: "POST", agent, headers: { Host: "ciam.tencentcloudapi.com" } },
    },
  });
  const ids = [];
  for (const n of [1, 2]) {
    const r = await client.request("CreateUser", {
      UserStoreId: store, UserName: `node${n}`, PhoneNumber: `+86-1370000000${n}`,
      Email: `node${n}@example.com`, Password: "N0de!pass",
    });
    ids.push(r.User.UserId);
  }
  const created = await client.request("CreateFileExportUserJob", { UserStoreId: store, Format: "NDJSON" });
  let job = created.Job;
  const deadline = Date.now() + 10000;
  while (job.Status !== "COMPLETED" && job.Status !== "FAILED") {
    if (Date.now() > deadline) throw new Error(`export job ${created.Job.Id} not finished: ${job.Status}`);
    await new Promise((r) => setTimeout(r, 10));
    const listed = await client.request("ListJobs", { UserStoreId: store, JobIds: [created.Job.Id] });
    job = listed.JobSet[0];
  }
  const lines = (await download(job.Location)).split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
  const deleted = await client.request("DeleteUsers", { UserStoreId: store, UserIds: [ids[0]] });
  console.log(JSON.stringify({
    jobType: job.Type, jobStatus: job.Status, format: job.Format,
    exported: lines.map((u) => u.UserName), deletedRequestId: deleted.RequestId, deletedId: ids[0],
  }));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
