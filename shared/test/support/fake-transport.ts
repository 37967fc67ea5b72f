/**
 * An in-memory Transport: records every request and answers from a queue the test fills,
 * so a test can assert exactly what the client sent, or that it sent nothing.
 */
import type { Transport, TransportRequest, TransportResponse } from '@leadtosheet/shared';

type Answer = TransportResponse | Error | ((request: TransportRequest) => TransportResponse);

export class FakeTransport implements Transport {
  readonly requests: TransportRequest[] = [];
  private readonly answers: Answer[] = [];

  /** Queues a response. */
  reply(status: number, body?: unknown, headers: TransportResponse['headers'] = {}): this {
    this.answers.push({ status, headers, body });
    return this;
  }

  /** Queues a response computed from the request. */
  replyWith(answer: (request: TransportRequest) => TransportResponse): this {
    this.answers.push(answer);
    return this;
  }

  /** Queues a thrown failure (network error, timeout). */
  fail(error: Error): this {
    this.answers.push(error);
    return this;
  }

  get pending(): number {
    return this.answers.length;
  }

  async send(request: TransportRequest): Promise<TransportResponse> {
    this.requests.push(structuredClone(request));
    const answer = this.answers.shift();
    if (answer === undefined) throw new Error(`FakeTransport: no answer queued for ${request.method} ${request.path}`);
    if (answer instanceof Error) throw answer;
    return typeof answer === 'function' ? answer(request) : answer;
  }
}
