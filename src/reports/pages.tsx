import { Hono } from 'hono';
import type { AppEnv } from '../http/env';

/** Staff pages: grants, report builder, versions (filled in below). */
export const reportPages = new Hono<AppEnv>();
