package cccd;

/** The card's channel: the host sends a command APDU and returns the response (data and SW1
 * SW2), over PC/SC (javax.smartcardio), NFC or a network. */
public interface CardTransport {
    /** Sends one command APDU; throws when the card is gone. */
    byte[] transmit(byte[] apdu) throws Exception;

    /** Power-cycles the card after a tag loss; false when the channel cannot. */
    default boolean reconnect() { return false; }
}
