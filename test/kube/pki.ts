import { generateKeyPairSync } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { stringify } from "yaml";
import { systemTool } from "../../core/tool-binaries.js";

/** Paths of the control plane's credentials, all in one directory. */
export interface Pki {
  caCert: string;
  /** Valid for 127.0.0.1 and localhost; every component serves HTTPS with it. */
  servingCert: string;
  servingKey: string;
  /** O=system:masters: the fixture, the test and every component act as cluster admin. */
  adminCert: string;
  adminKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

// P-256 rather than RSA: a key is generated in milliseconds, which matters on every test start.
const NEW_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/** A new key and its certificate, self-signed unless the args name a -CA. */
async function newCert(args: string[]): Promise<void> {
  await execa(systemTool("/usr/bin/openssl", "openssl"), ["req", "-x509", ...NEW_KEY, "-days", "2", ...args]);
}

async function leaf(dir: string, name: string, subject: string, usage: string, caCert: string, caKey: string, extra: string[] = []): Promise<[string, string]> {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  // req -x509 marks its output as a CA by default; a leaf must say it is not one.
  await newCert([
    "-subj",
    subject,
    "-keyout",
    key,
    "-out",
    cert,
    "-CA",
    caCert,
    "-CAkey",
    caKey,
    "-addext",
    "basicConstraints=critical,CA:FALSE",
    "-addext",
    `extendedKeyUsage=${usage}`,
    ...extra,
  ]);
  return [cert, key];
}

/** extraServingIps: more addresses the serving certificate is valid for, e.g. a real node's IP. */
export async function writePki(dir: string, extraServingIps: string[] = []): Promise<Pki> {
  const caCert = path.join(dir, "ca.crt");
  const caKey = path.join(dir, "ca.key");
  await newCert(["-subj", "/CN=slo-harness-test-ca", "-keyout", caKey, "-out", caCert]);
  const [servingCert, servingKey] = await leaf(dir, "serving", "/CN=127.0.0.1", "serverAuth", caCert, caKey, [
    "-addext",
    `subjectAltName=${["127.0.0.1", ...extraServingIps].map((ip) => `IP:${ip}`).join(",")},DNS:localhost`,
  ]);
  const [adminCert, adminKey] = await leaf(dir, "admin", "/O=system:masters/CN=slo-harness-admin", "clientAuth", caCert, caKey);
  const serviceAccount = generateKeyPairSync("ec", {
    namedCurve: "prime256v1",
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const serviceAccountKey = path.join(dir, "sa.key");
  const serviceAccountPub = path.join(dir, "sa.pub");
  writeFileSync(serviceAccountKey, serviceAccount.privateKey, { mode: 0o600 });
  writeFileSync(serviceAccountPub, serviceAccount.publicKey);
  return { caCert, servingCert, servingKey, adminCert, adminKey, serviceAccountKey, serviceAccountPub };
}

/** A kubeconfig with the admin credentials embedded, so it can be copied or read on its own. */
export function writeKubeconfig(file: string, server: string, pki: Pki): void {
  const data = (p: string) => readFileSync(p).toString("base64");
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "slo-harness-test", cluster: { server, "certificate-authority-data": data(pki.caCert) } }],
    users: [{ name: "admin", user: { "client-certificate-data": data(pki.adminCert), "client-key-data": data(pki.adminKey) } }],
    contexts: [{ name: "slo-harness-test", context: { cluster: "slo-harness-test", user: "admin" } }],
    "current-context": "slo-harness-test",
  };
  writeFileSync(file, stringify(config), { mode: 0o600 });
}
