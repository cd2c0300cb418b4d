package io.tritonwatch.kubernetes;

import java.net.URI;

/**
 * bench/kube_client.py's measure of tritonwatch's own API client: JVM start to the first list
 * of a node's pods, then a pause in which the script reads the process's RSS.
 */
public final class ListPodsOnce {

  private ListPodsOnce() {}

  public static void main(String[] args) throws Exception {
    KubeApi api = new KubeApi(URI.create(args[0]), null, null, "node-a");
    System.out.println("pods " + api.list().pods().size());
    System.out.flush();
    Thread.sleep(Long.parseLong(args[1]));
  }
}
