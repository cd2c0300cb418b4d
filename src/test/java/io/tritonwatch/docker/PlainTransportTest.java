package io.tritonwatch.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class PlainTransportTest {

  @Test
  void theContextRefusesEveryUseWithAReason() throws Exception {
    SSLContext context = PlainTransport.NO_TLS.getSSLContext();
    assertEquals("none", context.getProtocol());
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, context::getSocketFactory);
    assertTrue(e.getMessage().contains("no TLS is configured"), e.getMessage());
    assertThrows(UnsupportedOperationException.class, context::createSSLEngine);
    assertThrows(UnsupportedOperationException.class, () -> context.init(null, null, null));
  }
}
