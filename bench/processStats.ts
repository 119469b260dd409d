import fs from 'node:fs';

/** Resident memory of one process, from /proc. */
export function rssBytes(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** Each process in a process group (a service and its children) as its /proc/<pid>/stat fields after the name. */
function groupStats(pgid: number): string[][] {
  const stats: string[][] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) stats.push(fields); // pgrp
    } catch {
      /* exited meanwhile */
    }
  }
  return stats;
}

/** CPU seconds (user + system) used so far by every process in a process group. */
export function cpuSecondsOfGroup(pgid: number): number {
  const tick = 100; // USER_HZ on Linux
  return groupStats(pgid).reduce((total, fields) => total + (Number(fields[11]) + Number(fields[12])) / tick, 0); // utime, stime
}

/** Resident memory of a process group, summed over its processes (PostgreSQL's shared buffers count once per backend). */
export function rssBytesOfGroup(pgid: number): number {
  const page = 4096;
  return groupStats(pgid).reduce((total, fields) => total + Number(fields[21]) * page, 0); // rss, in pages
}
